"""Config loading: the DESIGN.md minimal configs work; mistakes are one clear line."""
import pytest

from sheetsync import load_config
from sheetsync.errors import ConfigError

LOCAL = '''
[cohort]
name = "FS25"
language = "sv"
[backend]
kind = "xlsx"
folder = "students"
[master]
path = "master.xlsx"
[[students]]
id = "anna"
name = "Anna Andersson"
'''
GOOGLE = '''
[cohort]
name = "FS25"
[backend]
kind = "google"
credentials = "credentials.json"
[[students]]
id = "anna"
name = "Anna Andersson"
sheet = "https://docs.google.com/spreadsheets/d/abc/edit"
[master]
sheet = "xyz"
'''


def write(tmp_path, text):
    p = tmp_path / "sheetsync.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text", [LOCAL, GOOGLE])
def test_the_design_minimal_configs_load(tmp_path, text):
    cfg = load_config(write(tmp_path, text))
    assert cfg.students[0].name == "Anna Andersson"
    assert cfg.resolve("students") == tmp_path / "students"


@pytest.mark.parametrize("text, message", [
    (LOCAL + "\n[rules.XX99]\n", "unknown rule 'rules.XX99'"),
    (LOCAL.replace('language = "sv"', 'language = "de"'), "cohort.language must be one of"),
    (LOCAL.replace('[master]', '[master]\nextra = 1'), "unknown key 'master.extra'"),
    (LOCAL + "\n[rules.LC01]\ncap = \"three\"\n", "rules.LC01.cap must be int"),
    (LOCAL + "\n[rules.LC01]\ncapp = 3\n", "unknown key 'rules.LC01.capp'"),
    (LOCAL + "\n[[students]]\nid = \"anna\"\n", "appears twice"),
    ("[cohort\n", "not valid TOML"),
    (GOOGLE.replace('sheet = "https', 'file = "https'), "has no 'sheet'"),
])
def test_mistakes_name_the_key_and_the_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")
