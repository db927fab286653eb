"""PDF reports (reportlab only; no Qt, no database).

`render_plan_pdf(doc, settings) -> bytes` lays out an ondersteuningsplan from a plain
`PlanDocument`. Same input, byte-identical output.
"""

from wijkteam_app.reports.document import (
    DocConsent,
    DocDomainSituation,
    DocEvaluation,
    DocGoal,
    DocLadder,
    DocNetworkMember,
    DocNetworkTask,
    DocPerson,
    DocProfessional,
    DocProfessionalSupport,
    DocProvisionUse,
    DocSigner,
    DocToets,
    DocZrm,
    DocZrmScore,
    PlanDocument,
    ReportSettings,
)
from wijkteam_app.reports.plan_pdf import render_plan_pdf

__all__ = [
    "DocConsent",
    "DocDomainSituation",
    "DocEvaluation",
    "DocGoal",
    "DocLadder",
    "DocNetworkMember",
    "DocNetworkTask",
    "DocPerson",
    "DocProfessional",
    "DocProfessionalSupport",
    "DocProvisionUse",
    "DocSigner",
    "DocToets",
    "DocZrm",
    "DocZrmScore",
    "PlanDocument",
    "ReportSettings",
    "render_plan_pdf",
]
