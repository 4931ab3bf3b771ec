"""The fund-management measures (资金管理办法) as data: rules per programme, supporter and
recipient, versioned by year, each with its parameter and the public precedent it defaults to."""
