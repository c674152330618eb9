"""Indices (PAPI and, later, PCI, PAR INDEX, SIPAS) as data: dimensions, scores, group rules."""

from __future__ import annotations

from django.db import models

from papitrack.indices.enums import GroupSizeStatus, NameStatus, ScoreStatus


class Index(models.Model):
    code = models.CharField("mã", max_length=20, unique=True)
    name_vi = models.CharField("tên tiếng Việt", max_length=300)
    name_en = models.CharField("tên tiếng Anh", max_length=300)
    publisher = models.CharField("đơn vị công bố", max_length=300, blank=True)
    url = models.URLField(blank=True)
    group_count = models.PositiveSmallIntegerField(
        "số nhóm xếp hạng", default=4, help_text="Số nhóm mà chỉ số chia các tỉnh theo thứ hạng."
    )
    description = models.TextField("mô tả", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "chỉ số"
        verbose_name_plural = "chỉ số"

    def __str__(self) -> str:
        return self.code


class Dimension(models.Model):
    """A dimension (chỉ số nội dung) of an index, or its aggregate ("overall")."""

    index = models.ForeignKey(Index, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField("mã", max_length=40)
    number = models.PositiveSmallIntegerField(
        "số thứ tự", help_text="Thứ tự chính thức; 0 là điểm tổng hợp."
    )
    name_vi = models.CharField("tên tiếng Việt", max_length=300)
    name_en = models.CharField("tên tiếng Anh", max_length=300)
    short_name_vi = models.CharField("tên ngắn", max_length=120, blank=True)
    is_aggregate = models.BooleanField("điểm tổng hợp", default=False)
    scale_min = models.DecimalField("điểm tối thiểu", max_digits=6, decimal_places=2)
    scale_max = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    valid_from_year = models.PositiveSmallIntegerField("áp dụng từ năm")
    valid_to_year = models.PositiveSmallIntegerField("áp dụng đến năm", null=True, blank=True)

    class Meta:
        ordering = ["index", "number"]
        verbose_name = "chỉ số nội dung"
        verbose_name_plural = "chỉ số nội dung"
        constraints = [
            models.UniqueConstraint(fields=["index", "code"], name="unique_dimension_code")
        ]

    def __str__(self) -> str:
        return self.name_vi

    @property
    def label(self) -> str:
        return self.short_name_vi or self.name_vi


class SubDimension(models.Model):
    """A sub-dimension (chỉ số nội dung thành phần), versioned by year."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="subdimensions")
    code = models.CharField("mã", max_length=10, help_text="Số hiệu kiểu PAPI, ví dụ 2.2.")
    position = models.PositiveSmallIntegerField("thứ tự")
    name_vi = models.CharField("tên tiếng Việt", max_length=300)
    name_en = models.CharField("tên tiếng Anh", max_length=300)
    name_vi_status = models.CharField(max_length=20, choices=NameStatus.choices)
    name_en_status = models.CharField(max_length=20, choices=NameStatus.choices)
    valid_from_year = models.PositiveSmallIntegerField("áp dụng từ năm")
    valid_to_year = models.PositiveSmallIntegerField("áp dụng đến năm", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["dimension", "position"]
        verbose_name = "chỉ số nội dung thành phần"
        verbose_name_plural = "chỉ số nội dung thành phần"
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code", "valid_from_year"], name="unique_subdimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class GroupSizeRule(models.Model):
    """How many provinces each rank group holds when n provinces are scored."""

    index = models.ForeignKey(Index, on_delete=models.CASCADE, related_name="group_rules")
    year = models.PositiveSmallIntegerField(
        "năm", null=True, blank=True, help_text="Để trống: áp dụng cho mọi năm."
    )
    province_count = models.PositiveSmallIntegerField("số tỉnh được xếp hạng")
    sizes = models.CharField(
        "cỡ các nhóm", max_length=40, help_text="Số tỉnh mỗi nhóm, từ cao đến thấp: 16,16,15,16."
    )
    status = models.CharField(max_length=20, choices=GroupSizeStatus.choices)
    source = models.TextField("nguồn", blank=True)

    class Meta:
        ordering = ["index", "year", "province_count"]
        verbose_name = "quy tắc chia nhóm"
        verbose_name_plural = "quy tắc chia nhóm"
        constraints = [
            models.UniqueConstraint(
                fields=["index", "year", "province_count"], name="unique_group_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.year or '*'} n={self.province_count}: {self.sizes}"

    @property
    def size_list(self) -> list[int]:
        return [int(part) for part in self.sizes.split(",")]


class PublishedScore(models.Model):
    """A score as published for one province, year and dimension. Missing = no row."""

    index = models.ForeignKey(Index, on_delete=models.PROTECT, related_name="scores")
    province = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="published_scores"
    )
    year = models.PositiveSmallIntegerField("năm khảo sát")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField("điểm", max_digits=12, decimal_places=7, null=True, blank=True)
    ci_low = models.DecimalField(max_digits=12, decimal_places=7, null=True, blank=True)
    ci_high = models.DecimalField(max_digits=12, decimal_places=7, null=True, blank=True)
    std_error = models.DecimalField(max_digits=12, decimal_places=7, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ScoreStatus.choices, default=ScoreStatus.PUBLISHED
    )
    source = models.CharField("nguồn", max_length=300, blank=True)
    # With the row count and the largest id, the version of the ranks cached from these rows
    # (indices/queries.py): any saved change moves it.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "dimension__number", "province__code"]
        verbose_name = "điểm công bố"
        verbose_name_plural = "điểm công bố"
        constraints = [
            models.UniqueConstraint(
                fields=["index", "province", "year", "dimension"], name="unique_published_score"
            ),
            models.CheckConstraint(
                condition=models.Q(status="published", score__isnull=False)
                | ~models.Q(status="published"),
                name="published_score_has_value",
            ),
        ]
        indexes = [models.Index(fields=["index", "year", "dimension"])]

    def __str__(self) -> str:
        return f"{self.province} {self.year} {self.dimension.code}: {self.score}"
