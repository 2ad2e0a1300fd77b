"""Every choice id the flows offer, one typed route per action, by domain; these modules import no flow."""
