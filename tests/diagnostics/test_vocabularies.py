"""The shared vocabularies carry the same keys as the questionnaire's profile options."""

import pytest

from diagnostics.definitions import load_all_definitions
from portal.lib.vocabularies import BusinessSize, Dimension, MaturityLevel, SicSection, Stage

PROFILE_VOCABULARIES = {"size": BusinessSize, "stage": Stage, "sic_section": SicSection}


@pytest.mark.parametrize("definition", load_all_definitions(), ids=str)
@pytest.mark.parametrize("field_key", sorted(PROFILE_VOCABULARIES))
def test_profile_options_match_the_vocabulary(definition, field_key):
    field = definition.profile_fields[field_key]
    assert [o.key for o in field.options] == list(PROFILE_VOCABULARIES[field_key].values)


@pytest.mark.parametrize("definition", load_all_definitions(), ids=str)
def test_dimensions_and_bands_match_the_vocabulary(definition):
    assert [d.key for d in definition.dimensions] == list(Dimension.values)
    assert [band.key for band in definition.bands] == list(MaturityLevel.values)
