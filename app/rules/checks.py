"""The result type shared by every requirement check."""

from dataclasses import dataclass, field

MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"
REPORTED = "reported"  # a figure the table reports without a target


@dataclass(frozen=True)
class Check:
    """One requirement's verdict with the figures behind it, for a template to phrase."""

    id: str
    status: str
    figures: dict = field(default_factory=dict)

    @property
    def met(self) -> bool:
        """True unless the requirement applies and is not met."""
        return self.status != NOT_MET
