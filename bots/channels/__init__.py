"""Channel adapters: one module per provider, each implementing bots.channels.base.ChannelAdapter."""
