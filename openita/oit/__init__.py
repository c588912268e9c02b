"""OIT preparation: the checklist of published evidence, the link checker, the site crawl."""
