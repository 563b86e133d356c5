from .campaign import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    ContentArea,
    Milestone,
    Phase,
    ProgressEntry,
    ProgressFigure,
    ReviewKind,
    Target,
)
from .org import Gender, Person, Role, RoleAssignment, TargetGroup, Unit, UnitKind

__all__ = [
    "Campaign",
    "CampaignKind",
    "CampaignStatus",
    "ContentArea",
    "Gender",
    "Milestone",
    "Person",
    "Phase",
    "ProgressEntry",
    "ProgressFigure",
    "ReviewKind",
    "Role",
    "RoleAssignment",
    "Target",
    "TargetGroup",
    "Unit",
    "UnitKind",
]
