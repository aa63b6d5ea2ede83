from bot.slack.channel_names import readable_channel_name


def test_a_real_name_is_kept_and_a_placeholder_is_no_name() -> None:
    assert readable_channel_name("launch-team") == "launch-team"
    assert readable_channel_name("directmessage") == ""
    assert readable_channel_name("privategroup") == ""
    assert readable_channel_name(None) == ""
    assert readable_channel_name("") == ""
