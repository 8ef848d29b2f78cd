"""Push a verified release folder to the Hugging Face Hub and tag it ``v<version>``.

The same list of Hub calls is printed by a dry run and executed by a real run. A real run
needs a token and the network; it checks for both before any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.errors import PublishError, ReleaseError
from dispatch_corpus.release.semver import Version, parse_version
from dispatch_corpus.release.verify import verify_release

REPO_TYPE = "dataset"
UPLOAD_COMMIT = "<commit of upload_folder>"
# 96 characters: the Hub's longest owner and repository name.
_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")


@dataclass(frozen=True)
class HubCall:
    """One ``huggingface_hub.HfApi`` method call: its name and keyword arguments."""

    method: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        arguments = ", ".join(
            f"{key}={value}" if value == UPLOAD_COMMIT else f"{key}={value!r}"
            for key, value in self.kwargs.items()
        )
        return f"{self.method}({arguments})"


@dataclass(frozen=True)
class PublishPlan:
    """The Hub calls that publish one release, in order."""

    release_dir: Path
    version: Version
    repo_id: str
    files: tuple[str, ...]

    @property
    def calls(self) -> list[HubCall]:
        """create_repo, list_repo_refs (refuse an existing tag), upload_folder, create_tag."""
        repo = {"repo_id": self.repo_id, "repo_type": REPO_TYPE}
        message = f"Release {self.version}"
        return [
            HubCall("create_repo", {**repo, "exist_ok": True}),
            HubCall("list_repo_refs", repo),
            HubCall(
                "upload_folder",
                {
                    **repo,
                    "folder_path": str(self.release_dir),
                    "commit_message": message,
                    # Remote files this release does not have are deleted in the same commit,
                    # so the tag holds this release only (the Hub keeps .gitattributes).
                    "delete_patterns": "*",
                },
            ),
            HubCall(
                "create_tag",
                {
                    **repo,
                    "tag": self.version.tag,
                    "revision": UPLOAD_COMMIT,
                    "tag_message": message,
                },
            ),
        ]

    def describe(self) -> list[str]:
        """Return the exact operations, one per line, with the files the upload sends."""
        lines = []
        for call in self.calls:
            lines.append(str(call))
            if call.method == "list_repo_refs":
                lines.append(f"  refuse if tag {self.version.tag!r} already exists")
            if call.method == "upload_folder":
                lines += [f"  + {path}" for path in self.files]
        return lines


def check_repo_id(repo_id: str) -> None:
    """Refuse a Hub repository id that is not ``ORG/NAME``.

    Raises:
        ReleaseError: When ``repo_id`` is malformed.
    """
    if not _REPO_ID.fullmatch(repo_id):
        raise ReleaseError(f"repository id {repo_id!r} is not ORG/NAME")


def plan_publish(version: str, repo_id: str, releases_dir: Path) -> PublishPlan:
    """Check a release and a repository id, and return the calls that publish it.

    Args:
        version: The release version (``releases_dir/<version>`` must exist).
        repo_id: The Hub dataset repository, ``ORG/NAME``.
        releases_dir: The folder of releases.

    Returns:
        The plan.

    Raises:
        ReleaseError: When the version is not semver, the release is missing or does not
            verify, or the repository id is malformed.
    """
    parsed = parse_version(version)
    release_dir = releases_dir / str(parsed)
    if not release_dir.is_dir():
        raise DatasetError(f"release {parsed} not found in {releases_dir}")
    verification = verify_release(release_dir)
    if not verification.ok:
        raise ReleaseError(f"release {parsed} does not verify: {verification.problems[0]}")
    check_repo_id(repo_id)
    files = sorted(
        path.relative_to(release_dir).as_posix()
        for path in release_dir.rglob("*")
        if path.is_file()
    )
    return PublishPlan(release_dir, parsed, repo_id, tuple(files))


def publish_release(plan: PublishPlan, token: str | None = None) -> str:
    """Run a publish plan against the Hub.

    Args:
        plan: From ``plan_publish``.
        token: A Hub token (default: ``HF_TOKEN`` or the stored login).

    Returns:
        The id of the tagged commit.

    Raises:
        PublishError: Without a token, in offline mode, when the tag exists, or when the Hub
            refuses a call (the message is the first line of the Hub's error).
    """
    # Imported here: a dry run (plan_publish) never needs the Hub client.
    from huggingface_hub import HfApi, constants, get_token

    token = token or get_token()
    if not token:
        raise PublishError("no Hugging Face token: set HF_TOKEN or run `hf auth login`")
    if constants.is_offline_mode():
        raise PublishError("HF_HUB_OFFLINE is set: the Hub cannot be reached")
    api = HfApi(token=token)
    create_repo, list_refs, upload, create_tag = plan.calls
    try:
        api.create_repo(**create_repo.kwargs)
        # Before the upload: a version that cannot be tagged pushes no commit.
        refs = api.list_repo_refs(**list_refs.kwargs)
        if any(tag.name == plan.version.tag for tag in refs.tags):
            raise PublishError(f"tag {plan.version.tag} already exists on {plan.repo_id}")
        commit = api.upload_folder(**upload.kwargs)
        # The commit just made, not the branch head, which another push may have moved.
        api.create_tag(**{**create_tag.kwargs, "revision": commit.oid})
    except PublishError:
        raise
    except Exception as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise PublishError(f"the Hub refused the release: {first_line}") from error
    return str(commit.oid)
