"""Seed the catalogue: titles and forms of Law 06/2022/QH15 with their rules.

Every install gets the same catalogue; administrators edit it afterwards (admin,
with history). Re-running is harmless: rows are matched by code and by
(award type, effective date), and existing rows are left as administrators
changed them. The rules' params follow the schemas in awards/rules.py.

Also seeds the previous rule set of "Chiến sĩ thi đua cơ sở" (Law 2003, amended
2013, effective here from 2018-01-01) with its 15 % cap enabled, so that award
years before 2024 are judged by the rules then in force.
"""

import datetime
from decimal import Decimal

from django.db import migrations

LAW = "Luật 06/2022/QH15"
DECREE = "Nghị định 98/2023/NĐ-CP"
OLD_LAW = "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013)"
NEW = datetime.date(2024, 1, 1)
OLD = datetime.date(2018, 1, 1)

GRASSROOTS_HEAD = "Thủ trưởng cơ quan, tổ chức, đơn vị"
MINISTER = "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân cấp tỉnh"
PRIME_MINISTER = "Thủ tướng Chính phủ"
PRESIDENT = "Chủ tịch nước"

# Principles of Decree 98/2023 Art. 4 and registration for titles.
PRINCIPLES = f"{DECREE} Điều 4"
REGISTRATION = f"{LAW}; {DECREE} (đăng ký thi đua)"
COUNCIL = f"{DECREE} (Hội đồng Thi đua – Khen thưởng bỏ phiếu kín; tỷ lệ hiện hành do cơ quan quy định)"

# code: name, category, subject, level, authority, cash multiple (Decree 98 Art. 54), order
TYPES = {
    "LDTT": ("Lao động tiên tiến", "title", "individual", "grassroots", GRASSROOTS_HEAD, "0.3", 10),
    "CSTDCS": ("Chiến sĩ thi đua cơ sở", "title", "individual", "grassroots", GRASSROOTS_HEAD, "1.0", 20),
    "CSTD_BO": ("Chiến sĩ thi đua bộ, ban, ngành, tỉnh", "title", "individual", "ministry", MINISTER, "3.0", 30),
    "CSTD_TQ": ("Chiến sĩ thi đua toàn quốc", "title", "individual", "government", PRIME_MINISTER, "4.5", 40),
    "TTLDTT": ("Tập thể lao động tiên tiến", "title", "collective", "grassroots", GRASSROOTS_HEAD, "0.8", 50),
    "TTLDXS": ("Tập thể lao động xuất sắc", "title", "collective", "ministry", MINISTER, "1.5", 60),
    "CO_BO": ("Cờ thi đua của bộ, ban, ngành, tỉnh", "title", "collective", "ministry", MINISTER, None, 70),
    "CO_CP": ("Cờ thi đua của Chính phủ", "title", "collective", "government", PRIME_MINISTER, "12.0", 80),
    "HCLD3": ("Huân chương Lao động hạng Ba", "form", "individual", "state", PRESIDENT, None, 110),
    "HCLD3_TT": ("Huân chương Lao động hạng Ba (tập thể)", "form", "collective", "state", PRESIDENT, None, 115),
    "BK_TTG": ("Bằng khen của Thủ tướng Chính phủ", "form", "individual", "government", PRIME_MINISTER, None, 120),
    "BK_TTG_TT": ("Bằng khen của Thủ tướng Chính phủ (tập thể)", "form", "collective", "government", PRIME_MINISTER, None, 125),
    "BK_BO": ("Bằng khen của bộ, ban, ngành, tỉnh", "form", "individual", "ministry", MINISTER, None, 130),
    "BK_BO_TT": ("Bằng khen của bộ, ban, ngành, tỉnh (tập thể)", "form", "collective", "ministry", MINISTER, None, 135),
    "GIAY_KHEN": ("Giấy khen", "form", "individual", "grassroots", GRASSROOTS_HEAD, None, 140),
    "GIAY_KHEN_TT": ("Giấy khen (tập thể)", "form", "collective", "grassroots", GRASSROOTS_HEAD, None, 145),
    "KNC": ("Kỷ niệm chương", "form", "individual", "ministry", MINISTER, None, 150),
}


def _rule(kind, params, basis, enabled=True):
    return {"kind": kind, "params": params, "legal_basis": basis, "is_enabled": enabled}


NO_REPRIMAND = _rule("no_discipline", {"min_form": "reprimand"}, PRINCIPLES)

# code: [(effective from, legal basis of the set, note, rules)]
RULE_SETS = {
    "LDTT": [
        (NEW, f"{LAW} Điều 24; {DECREE}", "", [
            _rule("rating", {"min": "good"}, f"{LAW} Điều 24"),
            NO_REPRIMAND,
            _rule("prior_registration", {}, REGISTRATION),
        ]),
    ],
    "CSTDCS": [
        (NEW, f"{LAW} Điều 23; {DECREE}",
         "Giới hạn tỷ lệ so với Lao động tiên tiến là tuỳ cơ quan; mặc định tắt.", [
            _rule("same_year_title", {"title": "LDTT"}, f"{LAW} Điều 23"),
            _rule("achievement", {"any_of": [
                {"initiative_scope": "grassroots"},
                {"rating": "excellent"},
                {"science_topic": True},
            ]}, f"{LAW} Điều 23"),
            NO_REPRIMAND,
            _rule("prior_registration", {}, REGISTRATION),
            _rule("cap_share", {"of_title": "LDTT", "share": 0.15}, DECREE, enabled=False),
        ]),
        (OLD, OLD_LAW,
         "Bộ tiêu chuẩn trước ngày Luật 06/2022/QH15 có hiệu lực; áp dụng cho các năm 2018–2023.", [
            _rule("same_year_title", {"title": "LDTT"}, f"{OLD_LAW} Điều 23"),
            _rule("achievement", {"any_of": [
                {"initiative_scope": "grassroots"},
                {"science_topic": True},
            ]}, f"{OLD_LAW} Điều 23"),
            _rule("cap_share", {"of_title": "LDTT", "share": 0.15}, "Nghị định 91/2017/NĐ-CP"),
        ]),
    ],
    "CSTD_BO": [
        (NEW, f"{LAW} Điều 22; {DECREE}",
         "Xét vào năm đạt Chiến sĩ thi đua cơ sở lần thứ ba.", [
            _rule("consecutive_years", {"title": "CSTDCS", "years": 3, "include_current": True},
                  f"{LAW} Điều 22"),
            _rule("achievement", {"any_of": [
                {"initiative_scope": "ministry"},
                {"science_topic": "ministry"},
            ], "within_years": 3}, f"{LAW} Điều 22"),
            NO_REPRIMAND,
            _rule("council_approval", {"share": 0.9, "secret": True}, COUNCIL),
        ]),
    ],
    "CSTD_TQ": [
        (NEW, f"{LAW} Điều 21; {DECREE}",
         "Xét vào năm liền kề sau năm đạt Chiến sĩ thi đua bộ, ban, ngành, tỉnh lần thứ hai; "
         "hai lần liền nhau cách nhau không quá 3 năm.", [
            _rule("consecutive_years", {"title": "CSTD_BO", "years": 2, "include_current": False,
                                        "max_gap": 3}, f"{LAW} Điều 21"),
            _rule("achievement", {"any_of": [
                {"initiative_scope": "national"},
                {"science_topic": "national"},
            ], "within_years": 6}, f"{LAW} Điều 21"),
            NO_REPRIMAND,
            _rule("council_approval", {"share": 0.9, "secret": True}, COUNCIL),
        ]),
    ],
    "TTLDTT": [
        (NEW, f"{LAW} Điều 28; {DECREE}", "", [
            _rule("rating", {"min": "good"}, f"{LAW} Điều 28"),
            _rule("member_share", {"title": "LDTT", "share": 0.5, "strict": True}, f"{LAW} Điều 28"),
            _rule("no_discipline", {"min_form": "warning"}, f"{LAW} Điều 28"),
            _rule("prior_registration", {}, REGISTRATION),
        ]),
    ],
    "TTLDXS": [
        (NEW, f"{LAW} Điều 27; {DECREE}", "", [
            _rule("rating", {"min": "excellent"}, f"{LAW} Điều 27"),
            _rule("members_complete", {"share": 1.0}, f"{LAW} Điều 27"),
            _rule("member_share", {"title": "LDTT", "share": 0.7, "strict": False}, f"{LAW} Điều 27"),
            _rule("member_count", {"title": "CSTDCS", "min": 1}, f"{LAW} Điều 27"),
            _rule("no_discipline", {"min_form": "reprimand"}, f"{LAW} Điều 27"),
            _rule("prior_registration", {}, REGISTRATION),
        ]),
    ],
    "CO_BO": [
        (NEW, f"{LAW} Điều 26; {DECREE}",
         "Đơn vị dẫn đầu khối, cụm thi đua do bộ, ban, ngành, tỉnh tổ chức.", [
            _rule("bloc_leading", {}, f"{LAW} Điều 26"),
            _rule("prior_registration", {}, REGISTRATION),
        ]),
    ],
    "CO_CP": [
        (NEW, f"{LAW} Điều 25; {DECREE}",
         "Tiêu biểu xuất sắc trong số các đơn vị dẫn đầu khối. Trường hợp dẫn đầu phong trào "
         "thi đua do Thủ tướng Chính phủ phát động từ 05 năm trở lên khi sơ kết, tổng kết: "
         "Hội đồng xét theo hồ sơ (tắt điều kiện dẫn đầu khối nếu cần).", [
            _rule("bloc_leading", {}, f"{LAW} Điều 25"),
        ]),
    ],
    "HCLD3": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [NO_REPRIMAND])],
    "HCLD3_TT": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [])],
    "BK_TTG": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [NO_REPRIMAND])],
    "BK_TTG_TT": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [])],
    "BK_BO": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [NO_REPRIMAND])],
    "BK_BO_TT": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [])],
    "GIAY_KHEN": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [NO_REPRIMAND])],
    "GIAY_KHEN_TT": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ.", [])],
    "KNC": [(NEW, f"{LAW}; {DECREE}", "Tiêu chuẩn xét theo hồ sơ, theo quy định của bộ, ngành.", [])],
}


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    RuleSet = apps.get_model("awards", "RuleSet")
    Rule = apps.get_model("awards", "Rule")
    for code, (name, category, subject, level, authority, cash, order) in TYPES.items():
        award_type, _ = AwardType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "subject": subject,
                "level": level,
                "authority": authority,
                "cash_multiple": Decimal(cash) if cash else None,
                "order": order,
            },
        )
        for effective_from, basis, note, rules in RULE_SETS.get(code, []):
            rule_set, created = RuleSet.objects.get_or_create(
                award_type=award_type,
                effective_from=effective_from,
                defaults={"legal_basis": basis, "note": note},
            )
            if not created:
                continue
            Rule.objects.bulk_create(
                Rule(rule_set=rule_set, order=n, **rule) for n, rule in enumerate(rules, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
