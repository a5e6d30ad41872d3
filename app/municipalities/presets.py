"""Country presets: what a new municipality starts with. Every figure stays editable."""

PRESETS = {
    "KG": {
        "languages": ["ky", "ru"],
        "default_locale": "ky",
        "currency": "KGS",
        "timezone": "Asia/Bishkek",
        "settlement_kind": "village",
        # Law "On youth" (2023): youth is 14-35.
        "age_bands": [
            ("14-17", 14, 17, True),
            ("18-35", 18, 35, True),
            ("36-59", 36, 59, False),
            ("60+", 60, None, False),
        ],
    },
    "UZ": {
        "languages": ["uz", "ru"],
        "default_locale": "uz",
        "currency": "UZS",
        "timezone": "Asia/Tashkent",
        "settlement_kind": "mahalla",
        # Open Budget rules: these purchases cannot be financed from citizens' initiatives.
        "excluded_categories": ("vehicles", "cameras_radars", "officials_furniture"),
        "age_bands": [
            ("14-17", 14, 17, True),
            ("18-30", 18, 30, True),
            ("31-59", 31, 59, False),
            ("60+", 60, None, False),
        ],
    },
}

# The gender-responsive requirement figures of DESIGN.md, the same for both countries by default.
REQUIREMENT_DEFAULTS = {
    "notice_days": 10,
    "window_start_minute": 9 * 60,
    "window_end_minute": 17 * 60,
    "market_days": "",
    "require_step_free_declared": True,
    "require_childcare_declared": True,
    "consultation_required": True,
    "women_share_target": 30,
    "data_completeness_target": 90,
    "answer_deadline_days": 30,
    "publish_within_days": 7,
    "small_cell_threshold": 5,
    "allow_other_gender": False,
    "personal_data_retention_days": 90,
}

# Only Uzbek is required on an Uzbek notice; Kyrgyz municipalities announce in ky and ru.
REQUIRED_LANGUAGES = {"KG": ["ky", "ru"], "UZ": ["uz"]}

DEFAULT_CATEGORIES = ("water_supply", "roads", "waste_collection", "street_lighting", "education", "health",
                      "culture_sport", "social_services", "other")  # fmt: skip
