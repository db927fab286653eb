"""Assessment forms (ZRM, participatieladder), generated from instrument definitions.

Import the dialogs from their modules: ``wijkteam_app.ui.forms.zrm_form.ZrmDialog`` and
``wijkteam_app.ui.forms.ladder_form.LadderDialog``; shared building blocks live in
``wijkteam_app.ui.forms.common``.
"""
