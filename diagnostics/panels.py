"""Panels that apps above diagnostics add to the results page, so diagnostics never
imports them: the matcher's "What to do next", the adviser button.

An app registers its panel from its ``AppConfig.ready``::

    register_results_panel(
        "matching", template="matching/results_panel.html",
        context_function=next_steps_context, order=10,
    )

``context_function(*, request, assessment)`` returns the template's context, or None
to leave the panel out for this assessment. The results page renders every panel in
``order`` (then name) below the action plan; with none registered it shows nothing.
"""

from django.utils.safestring import SafeString

from portal.lib.panels import PanelRegistry

RESULTS_PANELS = PanelRegistry("results")


register_results_panel = RESULTS_PANELS.register
unregister_results_panel = RESULTS_PANELS.unregister
results_panels = RESULTS_PANELS.panels


def render_results_panels(*, request, assessment) -> list[SafeString]:
    """Each registered panel's HTML for this assessment, in order."""
    return RESULTS_PANELS.render(request=request, assessment=assessment)
