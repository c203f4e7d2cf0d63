"""Workarounds for the libraries Pressroom uses, one module per library, each naming the version it
was written for; each has a test that fails when the workaround stops working or is no longer needed."""
