/*
 * Show upload progress for large survey files: the form is sent with XMLHttpRequest so the
 * browser reports bytes sent; once the server answers, its page replaces this one (the
 * survey page after a redirect, or this form with the list of errors).
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-import-form");
    if (!form || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    var wrapper = document.getElementById("upload-progress");
    var bar = wrapper.querySelector(".progress-bar");
    var status = document.getElementById("upload-status");

    function show(percent, text) {
      wrapper.classList.remove("d-none");
      status.classList.remove("d-none");
      bar.style.width = percent + "%";
      bar.textContent = percent + "%";
      wrapper.setAttribute("aria-valuenow", String(percent));
      status.textContent = text;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((100 * progress.loaded) / progress.total);
          show(percent, "Đang tải tệp lên: " + percent + "%.");
        }
      });
      request.upload.addEventListener("load", function () {
        show(100, "Đã tải lên. Đang kiểm tra từng dòng, gia quyền và tính khoảng tin cậy…");
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
          window.location.assign(request.responseURL);
          return;
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        status.textContent = "Không gửi được tệp. Kiểm tra kết nối rồi thử lại.";
      });
      show(0, "Bắt đầu tải tệp lên…");
      form.querySelector("button[type=submit]").disabled = true;
      request.send(new FormData(form));
    });
  });
})();
