"""Page views: thin. Access comes from Case.objects.visible_to and accounts.access; changes go through actions."""
