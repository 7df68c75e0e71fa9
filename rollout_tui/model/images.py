"""Running images with their role tags, merged the way the plugin merges them (rollout_info.go)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageInfo:
    image: str
    tags: tuple[str, ...] = ()


def merge_image(images: list[ImageInfo], new: ImageInfo) -> list[ImageInfo]:
    """mergeImageAndTags: an image seen again gets the sorted union of tags; list kept sorted."""
    result = list(images)
    for i, existing in enumerate(result):
        if existing.image == new.image:
            result[i] = ImageInfo(existing.image, tuple(sorted(set(existing.tags) | set(new.tags))))
            break
    else:
        result.append(new)
    result.sort(key=lambda info: info.image)
    return result
