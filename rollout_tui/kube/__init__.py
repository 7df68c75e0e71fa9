"""The live-cluster layer: kubeconfig and contexts, list+watch reflectors, caches, guarded actions.

Modules, one job each:
  config      kubeconfig/contexts -> one ApiClient per context; ``prepare()`` before the UI starts
  transport   plain GETs through an ApiClient (no generated API classes)
  resources   the kinds we read, label selectors, paged lists, watch streams as JSON lines
  reflector   list+watch of one (context, kind, scope) on a daemon thread, with recovery
  cache       per-context object store indexed by namespace and owner uid
  coalesce    merged change batches on a thread-safe queue
  state       connection state (syncing, live, reconnecting since T, unreachable, forbidden, failed)
  hub         one context's reflectors + cache + state
  fleet       every context: overview Rollout watches, ``open_detail``, ``actions``
  detail      scoped watches for the rollout being looked at
  live        one-shot reads for the CLI (selector-scoped, fast in crowded namespaces)
  patches     the plugin's exact patches, pure
  guards      the stale-view guard (ViewState)
  actions     guarded, audited writes; never retried after a network error
  rbac        SelfSubjectAccessReview, cached per context x namespace
  readonly    read-only enforced in the HTTP layer
  audit       JSON-lines audit trail
  errors      any client exception -> one line + a category
  backoff     exponential backoff with jitter
No textual imports here, and nothing from ``rollout_tui.sim``.
"""
