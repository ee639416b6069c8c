"""A meeting series as readers see it: its config ``name``, else worded from its level
and its team's or intervention's name (the demo config: config/organisation.yaml,
config/interventions.yaml, config/meetings.yaml)."""

from __future__ import annotations

from datadialog.config_load import load_config
from outputs.common import meeting_name


def _meeting(config, meeting_id: str):
    return next(m for m in config.meetings if m.id == meeting_id)


def test_a_meeting_without_a_name_is_worded_from_its_level_and_scope():
    config = load_config()
    assert config.organisation.language == "da"
    assert all(m.name is None for m in config.meetings)
    assert meeting_name(config, _meeting(config, "borger_familie_nord")) == (
        "Borgerrettet refleksionsmøde · Familieteam Nord")
    assert meeting_name(config, _meeting(config, "indsats_ungepraktik")) == (
        "Refleksionsmøde om indsatsen · Praktikforløb for unge")
    assert meeting_name(config, _meeting(config, "ledelse_kvartal")) == "Ledelsens kvartalsmøde"
    # in English on request (the site's English pages)
    assert meeting_name(config, _meeting(config, "borger_familie_nord"), "en") == (
        "Citizen-level reflection meeting · Familieteam Nord")
    assert meeting_name(config, _meeting(config, "ledelse_kvartal"), "en") == (
        "Leaders' quarterly meeting")


def test_the_configured_name_is_used_in_every_language():
    config = load_config()
    meeting = _meeting(config, "borger_unge_syd").model_copy(
        update={"name": "Tirsdagsmødet i Ungeenheden"})
    assert meeting_name(config, meeting) == "Tirsdagsmødet i Ungeenheden"
    assert meeting_name(config, meeting, "en") == "Tirsdagsmødet i Ungeenheden"


def test_a_progress_meeting_is_named_by_its_team():
    config = load_config()
    meeting = _meeting(config, "borger_voksen_oest").model_copy(update={"level": "progress"})
    assert meeting_name(config, meeting) == "Fremdriftsmøde · Voksenstøtte Øst"
