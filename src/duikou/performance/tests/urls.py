"""The site's URLs with the performance pages mounted, whether or not ``duikou.config.urls``
mounts them already (it does once wired; this keeps the tests independent of that line)."""

from django.urls import include, path

from duikou.config.urls import urlpatterns as site

urlpatterns = list(site)
if not any(getattr(p, "namespace", None) == "performance" for p in site):
    urlpatterns.insert(0, path("performance/", include("duikou.performance.urls")))
