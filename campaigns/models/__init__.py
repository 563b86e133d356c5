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
from .upload import StoredUpload

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
    "StoredUpload",
    "Target",
    "TargetGroup",
    "Unit",
    "UnitKind",
]
