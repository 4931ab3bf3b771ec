"""Public disclosure (公告公示): disclosures of projects and plans, their documents, and the
privacy check that refuses to publish personal data."""
