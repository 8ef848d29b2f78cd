import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import huggingface_hub
import pytest

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.errors import PublishError, ReleaseError
from dispatch_corpus.release.hub import plan_publish, publish_release

REPO = "acme/dispatch-news"


class _NoHub:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("publish reached for the Hub")


@dataclass
class _Commit:
    oid: str


@dataclass
class _Tag:
    name: str


@dataclass
class _Refs:
    tags: list[_Tag]


@dataclass
class _FakeHub:
    """Records the calls a publish makes, answering like the Hub would."""

    tags: list[str] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, token: str) -> "_FakeHub":
        self.calls.append(("HfApi", {"token": token}))
        return self

    def create_repo(self, **kwargs: Any) -> None:
        self.calls.append(("create_repo", kwargs))

    def list_repo_refs(self, **kwargs: Any) -> _Refs:
        self.calls.append(("list_repo_refs", kwargs))
        return _Refs([_Tag(name) for name in self.tags])

    def upload_folder(self, **kwargs: Any) -> _Commit:
        self.calls.append(("upload_folder", kwargs))
        return _Commit("abc123")

    def create_tag(self, **kwargs: Any) -> None:
        self.calls.append(("create_tag", kwargs))


@pytest.fixture
def releases(released: Path) -> Path:
    return released.parent


def test_dry_run_lists_the_exact_operations(releases: Path) -> None:
    plan = plan_publish("1.0.0", REPO, releases)
    lines = plan.describe()
    folder = str(releases / "1.0.0")
    assert lines[0] == f"create_repo(repo_id='{REPO}', repo_type='dataset', exist_ok=True)"
    assert lines[1] == f"list_repo_refs(repo_id='{REPO}', repo_type='dataset')"
    assert lines[2] == "  refuse if tag 'v1.0.0' already exists"
    assert lines[3] == (
        f"upload_folder(repo_id='{REPO}', repo_type='dataset', folder_path='{folder}', "
        "commit_message='Release 1.0.0', delete_patterns='*')"
    )
    uploaded = [line.removeprefix("  + ") for line in lines if line.startswith("  + ")]
    assert uploaded == sorted(
        p.relative_to(releases / "1.0.0").as_posix()
        for p in (releases / "1.0.0").rglob("*")
        if p.is_file()
    )
    assert "MANIFEST.json" in uploaded
    assert lines[-1] == (
        f"create_tag(repo_id='{REPO}', repo_type='dataset', tag='v1.0.0', "
        "revision=<commit of upload_folder>, tag_message='Release 1.0.0')"
    )


def test_publish_without_a_token_fails_before_any_request(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub, "HfApi", _NoHub)
    plan = plan_publish("1.0.0", REPO, releases)
    with pytest.raises(PublishError) as error:
        publish_release(plan)
    message = str(error.value)
    assert message == "no Hugging Face token: set HF_TOKEN or run `hf auth login`"
    assert "\n" not in message


def test_publish_offline_fails_before_any_request(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(huggingface_hub, "HfApi", _NoHub)
    monkeypatch.setattr(huggingface_hub.constants, "is_offline_mode", lambda: True)
    with pytest.raises(PublishError, match="HF_HUB_OFFLINE is set"):
        publish_release(plan_publish("1.0.0", REPO, releases), token="hf_test")


def test_publish_uploads_then_tags_the_upload_commit(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = _FakeHub()
    monkeypatch.setattr(huggingface_hub, "HfApi", hub)
    monkeypatch.setattr(huggingface_hub.constants, "is_offline_mode", lambda: False)
    plan = plan_publish("1.0.0", REPO, releases)
    assert publish_release(plan, token="hf_test") == "abc123"
    assert [name for name, _ in hub.calls] == [
        "HfApi",
        "create_repo",
        "list_repo_refs",
        "upload_folder",
        "create_tag",
    ]
    upload, tag = hub.calls[3][1], hub.calls[4][1]
    assert upload["folder_path"] == str(releases / "1.0.0")
    assert tag == {
        "repo_id": REPO,
        "repo_type": "dataset",
        "tag": "v1.0.0",
        "revision": "abc123",
        "tag_message": "Release 1.0.0",
    }


def test_publish_refuses_an_existing_tag(releases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _FakeHub(tags=["v1.0.0"])
    monkeypatch.setattr(huggingface_hub, "HfApi", hub)
    monkeypatch.setattr(huggingface_hub.constants, "is_offline_mode", lambda: False)
    with pytest.raises(PublishError, match=f"tag v1.0.0 already exists on {REPO}"):
        publish_release(plan_publish("1.0.0", REPO, releases), token="hf_test")
    assert "upload_folder" not in [name for name, _ in hub.calls]


def test_a_hub_error_becomes_one_line(releases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = _FakeHub()

    def refuse(**kwargs: Any) -> None:
        raise OSError("401 Unauthorized\nInvalid credentials in Authorization header")

    hub.create_repo = refuse  # type: ignore[method-assign]
    monkeypatch.setattr(huggingface_hub, "HfApi", hub)
    monkeypatch.setattr(huggingface_hub.constants, "is_offline_mode", lambda: False)
    with pytest.raises(PublishError) as error:
        publish_release(plan_publish("1.0.0", REPO, releases), token="hf_test")
    assert str(error.value) == "the Hub refused the release: 401 Unauthorized"


@pytest.mark.parametrize("repo_id", ["acme", "acme/", "/name", "acme/name/extra", "ac me/name"])
def test_plan_refuses_a_malformed_repo_id(releases: Path, repo_id: str) -> None:
    with pytest.raises(ReleaseError, match="is not ORG/NAME"):
        plan_publish("1.0.0", repo_id, releases)


def test_plan_refuses_a_missing_or_broken_release(releases: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"release 2\.0\.0 not found"):
        plan_publish("2.0.0", REPO, releases)
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    (copy / "1.0.0" / "CHANGELOG.md").write_text("edited\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"does not verify: CHANGELOG\.md"):
        plan_publish("1.0.0", REPO, copy)
