"""The data steward's site: static HTML pages (quality, lineage, teams, interventions),
offline, in Danish and English, drawn from a :class:`~outputs.site.model.SiteData` that
:mod:`pipeline.site` gathers. :func:`outputs.site.render.write_site` writes it."""
