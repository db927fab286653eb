"""PDF reports (reportlab only; no Qt, no database).

`render_plan_pdf(doc, settings) -> bytes` lays out an ondersteuningsplan from a plain
`PlanDocument`. Same input, byte-identical output.

The layout (and reportlab with it) is imported on first use of `render_plan_pdf`, not with
this package: the document types are needed at start-up, the PDF only when one is made.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from wijkteam_app.reports.plan_pdf import render_plan_pdf


def __getattr__(name: str) -> Any:
    if name == "render_plan_pdf":
        from wijkteam_app.reports.plan_pdf import render_plan_pdf

        return render_plan_pdf
    raise AttributeError(name)


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
