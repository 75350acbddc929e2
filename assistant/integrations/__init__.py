"""Coach where managers already work: an MCP server for their own AI client, a Slack app and
the weekly digest. Each is off until configured (:mod:`assistant.integrations.config`) and goes
through the same agent, tools and reach checks as the web app."""
