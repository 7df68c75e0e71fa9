"""Plain requests through the ``kubernetes`` client's own ApiClient (auth, TLS, proxy, refresh hooks,
the read-only guard), without its generated API classes.

Why: the first call of ``CoreV1Api().list_namespaced_pod`` costs ~0.3-0.8 s (importing a 30k-line
module and building pydantic validators); ``AppsV1Api`` ~0.3 s. That alone would make a one-shot
``get rollout`` slow. Paths for what we read are simple, so we build them and let the ApiClient
serialize, authenticate and send. Responses are returned unread (``urllib3.HTTPResponse``): the
caller either ``json.loads(resp.data)`` or streams a watch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rollout_tui.kube.resources import Kind
    from rollout_tui.model.actions import Write


def resource_path(kind: Kind, namespace: str | None, name: str | None = None) -> str:
    base = f"/apis/{kind.group}/{kind.version}" if kind.group else f"/api/{kind.version}"
    path = f"{base}/namespaces/{namespace}/{kind.plural}" if namespace else f"{base}/{kind.plural}"
    return f"{path}/{name}" if name else path


def get(api_client: Any, path: str, query: dict[str, Any] | None = None, request_timeout: Any = None) -> Any:
    """GET ``path``; raises the client's ``ApiException`` for non-2xx answers, like its API classes."""
    params = [(k, _text(v)) for k, v in (query or {}).items() if v not in (None, "")]
    return _send(api_client, "GET", path, params, None, {"Accept": "application/json"}, request_timeout)


def get_stream(
    api_client: Any, path: str, query: dict[str, Any] | None = None, request_timeout: Any = None
) -> Any:
    """GET a plain-text stream (pod logs): the raw response, read as it arrives."""
    params = [(k, _text(v)) for k, v in (query or {}).items() if v not in (None, "")]
    return _send(api_client, "GET", path, params, None, {"Accept": "*/*"}, request_timeout)


def post_json(api_client: Any, path: str, body: dict[str, Any], request_timeout: Any = None) -> Any:
    """POST a JSON body (e.g. a SelfSubjectAccessReview) the same way; returns the raw response.

    Goes through the same ApiClient, so a read-only session's write guard still sees the verb.
    """
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    return _send(api_client, "POST", path, [], body, headers, request_timeout)


def send_json(api_client: Any, write: Write, namespace: str, request_timeout: Any = None) -> Any:
    """An action's PATCH or PUT (model.actions.Write) to its object; raises ApiException on non-2xx."""
    resource = write.resource
    base = f"/apis/{resource.group}/{resource.version}" if resource.group else f"/api/{resource.version}"
    path = f"{base}/namespaces/{namespace}/{resource.plural}/{write.name}"
    if write.subresource:
        path += f"/{write.subresource}"
    headers = {"Accept": "application/json", "Content-Type": write.content_type}
    resp = _send(api_client, write.method, path, [], write.body, headers, request_timeout)
    resp.read()  # the whole answer, so the connection can be reused
    resp.release_conn()
    return resp


def _send(
    api_client: Any,
    method: str,
    path: str,
    params: list[tuple[str, str]],
    body: Any,
    headers: dict[str, str],
    request_timeout: Any,
) -> Any:
    from kubernetes.client.exceptions import ApiException

    method, url, headers, data, post_params = api_client.param_serialize(
        method=method,
        resource_path=path,
        query_params=params,
        header_params=headers,
        body=body,
        auth_settings=["BearerToken"],
    )
    resp = api_client.call_api(
        method,
        url,
        header_params=headers,
        body=data,
        post_params=post_params,
        _request_timeout=request_timeout,
    )
    if not 200 <= resp.status <= 299:
        resp.read()
        raise ApiException.from_response(http_resp=resp, body=None, data=None)
    return resp.response


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
