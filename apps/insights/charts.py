"""Vega-Lite specs built in Python; ``static/js/insights.js`` draws them with vega-embed (local files, no CDN).

Every mark that stands for a count carries ``url``, the list of spans or quotes behind it (Vega's ``href``).
"""

from __future__ import annotations

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier, never fetched


def _base(values: list[dict], **spec) -> dict:
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "width": "container",
        "config": {"font": "system-ui, sans-serif", "axis": {"labelLimit": 180}, "view": {"stroke": None}},
        **spec,
    }


def heatmap(values: list[dict], *, x: str, y: str, value: str, value_title: str, fmt: str = ".0%") -> dict:
    """Rectangles coloured by ``value`` with the number printed; each links to its ``url``."""
    encoding = {
        "x": {"field": x, "type": "nominal", "title": None, "axis": {"labelAngle": -30}},
        "y": {"field": y, "type": "nominal", "title": None},
    }
    return _base(
        values,
        height={"step": 26},
        encoding=encoding,
        layer=[
            {
                "mark": {"type": "rect", "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": value,
                        "type": "quantitative",
                        "title": value_title,
                        "scale": {"scheme": "blues"},
                    },
                    "href": {"field": "url"},
                    "tooltip": [
                        {"field": x},
                        {"field": y},
                        {"field": value, "format": fmt, "title": value_title},
                        {"field": "detail", "title": "counted"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11},
                "encoding": {
                    "text": {"field": value, "type": "quantitative", "format": fmt},
                    "color": {
                        "condition": {"test": f"datum['{value}'] > 0.5 * datum.max_value", "value": "white"},
                        "value": "#1d1d1b",
                    },
                    "href": {"field": "url"},
                },
            },
        ],
    )


def lines(values: list[dict], *, x: str, y: str, color: str, y_title: str, time_unit: str, fmt: str) -> dict:
    return _base(
        values,
        height=260,
        mark={"type": "line", "point": {"size": 60, "cursor": "pointer"}},
        encoding={
            "x": {"field": x, "type": "temporal", "timeUnit": time_unit, "title": None},
            "y": {"field": y, "type": "quantitative", "title": y_title, "axis": {"format": fmt}},
            "color": {"field": color, "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "href": {"field": "url"},
            "tooltip": [
                {"field": color},
                {"field": x, "type": "temporal", "timeUnit": time_unit},
                {"field": y, "format": fmt, "title": y_title},
                {"field": "detail", "title": "counted"},
            ],
        },
    )


def stacked_share(values: list[dict], *, y: str, color: str, value: str) -> dict:
    """Horizontal bars normalised to 100 %: the share of each ``color`` in each ``y``."""
    return _base(
        values,
        height={"step": 28},
        mark={"type": "bar", "cursor": "pointer"},
        encoding={
            "y": {"field": y, "type": "nominal", "title": None},
            "x": {
                "field": value,
                "type": "quantitative",
                "stack": "normalize",
                "title": "Share of quotes",
                "axis": {"format": ".0%"},
            },
            "color": {"field": color, "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
            "href": {"field": "url"},
            "tooltip": [{"field": y}, {"field": color}, {"field": value, "title": "quotes"}],
        },
    )


def interval_dots(values: list[dict], *, y: str) -> dict:
    """α with its 95 % CI per scope: a rule from low to high and a dot at the estimate."""
    return _base(
        values,
        height={"step": 24},
        encoding={"y": {"field": y, "type": "nominal", "title": None, "sort": None}},
        layer=[
            {
                "mark": "rule",
                "encoding": {
                    "x": {
                        "field": "low",
                        "type": "quantitative",
                        "title": "Krippendorff's α",
                        "scale": {"domain": [-0.2, 1]},
                    },
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70},
                "encoding": {
                    "x": {"field": "alpha", "type": "quantitative"},
                    "tooltip": [
                        {"field": y},
                        {"field": "alpha", "format": ".3f"},
                        {"field": "low", "format": ".3f"},
                        {"field": "high", "format": ".3f"},
                    ],
                },
            },
        ],
    )
