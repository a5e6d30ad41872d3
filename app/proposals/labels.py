"""Categories, beneficiaries and statuses of proposals, with their translated names."""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "water_supply": _l("Water supply"),
    "roads": _l("Roads"),
    "waste_collection": _l("Waste collection"),
    "street_lighting": _l("Street lighting"),
    "education": _l("Education"),
    "health": _l("Health"),
    "culture_sport": _l("Culture and sport"),
    "social_services": _l("Social services"),
    "other": _l("Other"),
    # Uzbekistan's Open Budget excludes these purchases; a municipality lists them as excluded.
    "vehicles": _l("Vehicles"),
    "cameras_radars": _l("Cameras and radars"),
    "officials_furniture": _l("Furniture for officials"),
}

BENEFICIARIES = {
    "women": _l("Women"),
    "girls": _l("Girls"),
    "youth": _l("Youth"),
    "children": _l("Children"),
    "elderly": _l("Older people"),
    "disabled": _l("Persons with disabilities"),
    "everyone": _l("Everyone"),
}

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "admitted": _l("Admitted"),
    "not_admitted": _l("Not admitted"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "recommended": _l("Recommended"),
    "rejected": _l("Rejected"),
    "included": _l("Included in the budget"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped"),
    "merged": _l("Merged with another proposal"),
}

EVENT_LABELS = {
    "submitted": _l("Submitted"),
    "admitted": _l("Admitted"),
    "not_admitted": _l("Not admitted"),
    "answered": _l("Official answer"),
    "selected": _l("Selected"),
    "not_selected": _l("Not selected"),
    "recommended": _l("Recommended"),
    "rejected": _l("Rejected"),
    "included": _l("Included in the budget"),
    "progress": _l("Progress update"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped"),
    "merged": _l("Merged with another proposal"),
    "merged_in": _l("Another proposal was merged into this one"),
    "cost_set": _l("Cost set by the municipality"),
}
