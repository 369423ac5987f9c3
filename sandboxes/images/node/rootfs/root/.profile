# ~/.profile of a packetwalk node: login shells read ~/.bashrc too.
if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
