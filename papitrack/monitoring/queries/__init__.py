"""Reads of the monitoring app, split by subject (each issues a fixed number of queries).

- `scope`: which units and reports a figure covers, and how they are grouped;
- `rollups`: KPI roll-ups, achievement and the four task states per task and dimension;
- `completeness`: reports received and on time, the drill-down, heat map, league, overdue;
- `dashboards`: what each role's dashboard and the public page show.
"""
