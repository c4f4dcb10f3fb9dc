"""Meeting scheduler: turns accepted meeting requests into timed meetings at tables.

Pure computation: no AWS, no HTTP. Shipped in its own Lambda layer, attached to the schedule
function only, so its solver binaries never weigh on other functions' cold starts.
"""
