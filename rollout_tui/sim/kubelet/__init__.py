"""The simulated kubelet and scheduler: what happens to a pod once it exists.

A pod's life is a pure function of its spec, its creation time and its behaviour (``behaviour``):
``lifecycle`` lays out the container runs and image pulls, ``status`` turns that into
``pod.status`` at any instant, ``events`` into the scheduler's and kubelet's Events, and ``logs``
into the container log lines the API server's ``pods/{name}/log`` serves (``logstream``).
"""
