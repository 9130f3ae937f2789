from dashboards.charts import Bar, bar_chart


def test_bar_chart_is_an_accessible_image_with_title_and_description():
    svg = bar_chart(
        [Bar("1 Mar", 2, "Week from 1 Mar: 2"), Bar("8 Mar", 4, "Week from 8 Mar: 4")],
        chart_id="c",
        title="Contributions",
        description="Two weeks",
    )

    assert svg.startswith('<svg class="chart" id="c" role="img"')
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Contributions</title>' in svg
    assert '<desc id="c-desc">Two weeks</desc>' in svg
    assert svg.count('class="chart-bar"') == 2
    assert "<title>Week from 8 Mar: 4</title>" in svg


def test_bars_scale_to_the_tallest_and_zero_has_no_height():
    svg = bar_chart(
        [Bar("a", 0, "zero"), Bar("b", 5, "five")],
        chart_id="c",
        title="t",
        description="d",
        height=156,  # 100 units of plot between the margins
    )

    assert 'y="120" width="22" height="0"' in svg
    assert 'y="20" width="22" height="100"' in svg


def test_chart_text_is_escaped():
    svg = bar_chart(
        [Bar("<b>", 1, "<script>alert(1)</script>")],
        chart_id="c",
        title="<i>t</i>",
        description="d & e",
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;i&gt;t&lt;/i&gt;" in svg
    assert "d &amp; e" in svg


def test_an_empty_chart_still_renders():
    assert 'role="img"' in bar_chart([], chart_id="c", title="t", description="d")
