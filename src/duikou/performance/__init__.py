"""Performance targets and evaluation (绩效目标 / 绩效评价): the indicator tree of a project,
actuals, self-assessment scoring with configurable weights and grades."""
