"""The public status page needs no permission: it is open to everyone and shows only what is
published (see recovery.public.views and docs/access-policy.yaml `public:`)."""
