"""`lessons mcp`: the knowledge base as tools for an assistant (Model Context Protocol, over stdio).

An adapter like `lessons.cli`: the core never imports it (import-linter holds that), and only
`lessons mcp` imports the `mcp` SDK, which the ``mcp`` extra installs.
"""
