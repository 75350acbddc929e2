from assistant.agent.core import plain_text


def test_plain_text_drops_headings_and_bold_around_words():
    assert plain_text("## Summary\n**Dana** is __behind__ plan") == "Summary\nDana is behind plan"


def test_plain_text_keeps_markers_inside_words_and_quoted_markup():
    quoted = "notes \"<img src=x onerror='window.__xss = 2'>\" and snake__case__name"
    assert plain_text(quoted) == quoted
