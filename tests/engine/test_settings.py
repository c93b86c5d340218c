"""Settings: file, environment and secrets in that order; a wrong one names its key in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.settings import SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nattskift.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_environment_overrides_the_file_and_keeps_its_other_keys(tmp_path, monkeypatch):
    config = write(tmp_path, '[robots.ronney]\nconcurrency = 2\nschedule = "30 1 * * *"\n')
    monkeypatch.setenv("NATTSKIFT_ROBOTS__RONNEY__CONCURRENCY", "6")
    settings = load_settings(config)
    assert settings.robot_config("ronney").concurrency == 6
    assert settings.robot_config("ronney").schedule == "30 1 * * *"


def test_password_from_a_secrets_directory_is_a_secret(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "nattskift_systems__ekonomi__password").write_text("s3cret-från-fil")
    config = write(tmp_path, '[systems.ekonomi]\nurl = "http://127.0.0.1:8101"\nusername = "ronney"\n')
    monkeypatch.setenv("NATTSKIFT_SECRETS_DIR", str(secrets))
    settings = load_settings(config)
    password = settings.systems["ekonomi"].password
    assert password.get_secret_value() == "s3cret-från-fil"
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.model_dump_json()


def test_data_dir_is_relative_to_the_config_file(tmp_path):
    config = write(tmp_path, 'data_dir = "natt"\n')
    assert load_settings(config).data_dir == (tmp_path / "natt").resolve()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[robots.ronney]\nconcurrency = 0\n", "setting 'robots.ronney.concurrency': Input should be greater than or equal to 1"),
        ("[browser]\nheadles = true\n", "setting 'browser.headles': unknown setting"),
        ('[systems.ekonomi]\nurl = "ekonomi.local"\n', "setting 'systems.ekonomi.url': Value error, must be an http(s) URL"),
        ('[robots.bosse]\nschedule = "every night"\n', "setting 'robots.bosse.schedule': Value error, must be a cron expression"),
        ('timezone = "Europe/Ronneby"\n', "setting 'timezone': Value error, must be an IANA time zone"),
        ("[database\n", "not valid TOML"),
    ],
)
def test_a_wrong_setting_stops_start_up_naming_the_key(tmp_path, text, expected):
    config = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(config)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_a_robot_setting_is_checked_by_the_robots_own_model(tmp_path):
    from pydantic import BaseModel, ConfigDict

    from runner.settings import validate_robot_settings

    class Own(BaseModel):
        model_config = ConfigDict(extra="forbid")
        max_rent: int = 9000

    config = write(tmp_path, '[robots.ronney]\nmax_rent = "många"\n')
    settings = load_settings(config)
    with pytest.raises(SettingsError, match="setting 'robots.ronney.max_rent'"):
        validate_robot_settings(Own, "ronney", settings.robot_config("ronney"))


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "finns-inte.toml")


def test_the_example_settings_file_loads(monkeypatch):
    example = Path(__file__).resolve().parents[2] / "nattskift.example.toml"
    settings = load_settings(example)
    assert settings.timezone == "Europe/Stockholm"
