from django.db import models


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố trực thuộc trung ương"
    DEPARTMENT = "department", "Sở"
    AGENCY = "agency", "Cơ quan, đơn vị cấp tỉnh"
    MASS_ORGANISATION = "mass_organisation", "Tổ chức chính trị - xã hội"
    ENTERPRISE = "enterprise", "Doanh nghiệp nhà nước"
    DISTRICT = "district", "Đơn vị hành chính cấp huyện"
    DISTRICT_AGENCY = "district_agency", "Cơ quan cấp huyện"
    COMMUNE = "commune", "Đơn vị hành chính cấp xã"


class UnitLevel(models.TextChoices):
    """A level named in a plan instead of a unit ("UBND cấp huyện" means every district PC)."""

    DISTRICT = "district", "UBND cấp huyện"
    COMMUNE = "commune", "UBND cấp xã"
    DISTRICT_HEALTH_CENTRE = "district_health_centre", "Trung tâm y tế các huyện"
    DISTRICT_RADIO = "district_radio", "Đài truyền thanh - truyền hình cấp huyện"
    DISTRICT_COURT = "district_court", "Tòa án nhân dân cấp huyện"
    DISTRICT_POLICE = "district_police", "Công an cấp huyện"
    COMMUNE_POLICE = "commune_police", "Công an cấp xã"


class UnitGroup(models.TextChoices):
    """An open set of units named in a plan ("các Sở, Ban, ngành")."""

    DEPARTMENTS = "departments", "Các Sở, Ban, ngành"
    ALL_UNITS = "all_units", "Các cơ quan, đơn vị từ cấp tỉnh đến cấp xã"
    RELEVANT_UNITS = "relevant_units", "Các cơ quan, đơn vị có liên quan"
    MASS_ORGANISATIONS = "mass_organisations", "Các tổ chức chính trị - xã hội, đoàn thể"


class ChangeKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
    TRANSFER = "transfer", "Điều chỉnh một phần địa giới"
    SAME = "same", "Giữ nguyên"


# District-level bodies that the plan names as a level; the loader creates one per district.
DISTRICT_BODY_NAMES = {
    UnitLevel.DISTRICT_HEALTH_CENTRE: "Trung tâm Y tế",
    UnitLevel.DISTRICT_RADIO: "Đài Truyền thanh - Truyền hình",
    UnitLevel.DISTRICT_COURT: "Tòa án nhân dân",
    UnitLevel.DISTRICT_POLICE: "Công an",
}
