"""The OpenITA web application: a thin Django shell around the engine and the documents.

Apps: ``agencies`` (agencies, people and roles, access), ``results`` (assessments per agency
and fiscal year), ``accounts`` (login with throttling), ``ui`` (layout, home, agency page,
template filters). Writes go through each app's ``services``, reads through its ``selectors``.
"""
