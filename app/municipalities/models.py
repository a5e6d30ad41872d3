"""Municipalities, their settlements (villages, mahallas) and age-band schemes."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.municipalities.presets import DEFAULT_CATEGORIES, PRESETS, REQUIRED_LANGUAGES, REQUIREMENT_DEFAULTS
from app.rules.breakdown import GENDERS


class Municipality(db.Model):
    """A local self-government: an aiyl aimak, a city, or a district khokimiyat."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    region: Mapped[str] = mapped_column(sa.String(200), default="")
    country: Mapped[str] = mapped_column(sa.String(2))
    languages: Mapped[str] = mapped_column(sa.String(40))  # comma-separated locale codes
    required_languages: Mapped[str] = mapped_column(sa.String(40))
    default_locale: Mapped[str] = mapped_column(sa.String(5))
    currency: Mapped[str] = mapped_column(sa.String(3))
    timezone: Mapped[str] = mapped_column(sa.String(60))
    # Gender-responsive requirement settings (DESIGN.md table).
    notice_days: Mapped[int] = mapped_column(default=10)
    window_start_minute: Mapped[int] = mapped_column(default=540)
    window_end_minute: Mapped[int] = mapped_column(default=1020)
    market_days: Mapped[str] = mapped_column(sa.String(20), default="")  # ISO weekdays "1,5"
    require_step_free_declared: Mapped[bool] = mapped_column(default=True)
    require_childcare_declared: Mapped[bool] = mapped_column(default=True)
    consultation_required: Mapped[bool] = mapped_column(default=True)
    women_share_target: Mapped[int] = mapped_column(default=30)
    data_completeness_target: Mapped[int] = mapped_column(default=90)
    answer_deadline_days: Mapped[int] = mapped_column(default=30)
    publish_within_days: Mapped[int] = mapped_column(default=7)
    small_cell_threshold: Mapped[int] = mapped_column(default=5)
    allow_other_gender: Mapped[bool] = mapped_column(default=False)
    personal_data_retention_days: Mapped[int] = mapped_column(default=90)
    proposal_categories: Mapped[str] = mapped_column(sa.String(400), default=",".join(DEFAULT_CATEGORIES))
    excluded_categories: Mapped[str] = mapped_column(sa.String(200), default="")

    settlements: Mapped[list["Settlement"]] = relationship(
        back_populates="municipality", order_by="Settlement.name", cascade="all, delete-orphan"
    )
    age_bands: Mapped[list["AgeBand"]] = relationship(
        back_populates="municipality", order_by="AgeBand.position", cascade="all, delete-orphan"
    )

    @classmethod
    def from_preset(cls, country: str, slug: str, name: str, region: str = "") -> "Municipality":
        """Create a municipality with the country's languages, currency, timezone and bands."""
        preset = PRESETS[country]
        municipality = cls(
            slug=slug,
            name=name,
            region=region,
            country=country,
            languages=",".join(preset["languages"]),
            required_languages=",".join(REQUIRED_LANGUAGES[country]),
            default_locale=preset["default_locale"],
            currency=preset["currency"],
            timezone=preset["timezone"],
            **REQUIREMENT_DEFAULTS,
        )
        municipality.proposal_categories = ",".join(DEFAULT_CATEGORIES)
        municipality.excluded_categories = ",".join(preset.get("excluded_categories", ()))
        for position, (label, low, high, youth) in enumerate(preset["age_bands"]):
            municipality.age_bands.append(
                AgeBand(position=position, label=label, min_age=low, max_age=high, is_youth=youth)
            )
        return municipality

    @property
    def language_list(self) -> list[str]:
        """The municipality's languages, in order of preference."""
        return [code for code in self.languages.split(",") if code]

    @property
    def required_language_list(self) -> list[str]:
        """The languages every announcement must carry."""
        return [code for code in self.required_languages.split(",") if code]

    @property
    def genders(self) -> list[str]:
        """The genders recorded here, in display order: "other" only where the municipality offers it."""
        return [g for g in GENDERS if g != "other" or self.allow_other_gender]

    @property
    def category_list(self) -> list[str]:
        """Proposal categories offered to citizens, in order."""
        return [c for c in self.proposal_categories.split(",") if c]

    @property
    def excluded_category_list(self) -> list[str]:
        """Categories whose proposals are refused at review (e.g. Uzbekistan's banned purchases)."""
        return [c for c in self.excluded_categories.split(",") if c]

    @property
    def market_day_list(self) -> list[int]:
        """ISO weekday numbers (1 = Monday) that are market days."""
        return [int(day) for day in self.market_days.split(",") if day.strip().isdigit()]

    @property
    def settlement_kind(self) -> str:
        """`village` in Kyrgyzstan, `mahalla` in Uzbekistan."""
        return PRESETS[self.country]["settlement_kind"]


class Settlement(db.Model):
    """A village or mahalla inside a municipality."""

    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    municipality: Mapped[Municipality] = relationship(back_populates="settlements")


class AgeBand(db.Model):
    """One band of a municipality's age scheme; `is_youth` marks the youth bands."""

    __table_args__ = (sa.UniqueConstraint("municipality_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(20))
    min_age: Mapped[int] = mapped_column()
    max_age: Mapped[int | None] = mapped_column(nullable=True)
    is_youth: Mapped[bool] = mapped_column(default=False)
    municipality: Mapped[Municipality] = relationship(back_populates="age_bands")
