from django.db import models


class Role(models.TextChoices):
    """What a user may do; where, is given by the user's unit (see accounts/rules.py)."""

    COORDINATOR = "coordinator", "Điều phối (Sở Nội vụ)"
    LEAD_REVIEWER = "lead_reviewer", "Đơn vị chủ trì theo dõi"
    UNIT_REPORTER = "unit_reporter", "Đơn vị báo cáo"
    LEADER = "leader", "Lãnh đạo (chỉ xem)"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"


class LoginOutcome(models.TextChoices):
    """How one sign-in attempt ended (accounts.LoginAttempt)."""

    SUCCEEDED = "succeeded", "Đăng nhập thành công"
    FAILED = "failed", "Sai tên đăng nhập hoặc mật khẩu"
    WRONG_CODE = "wrong_code", "Sai mã xác thực hai lớp"
    LOCKED = "locked", "Bị từ chối vì tạm khóa"


class LoginChannel(models.TextChoices):
    WEB = "web", "Trang web"
    API = "api", "API"
