# ~/.bashrc of a packetwalk node (interactive shells: terminals open "bash -l" or "bash").
[ -z "$PS1" ] && return
export LANG=C.UTF-8
HISTCONTROL=ignoredups:ignorespace
HISTSIZE=5000
shopt -s histappend checkwinsize
PS1='\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
alias ls='ls --color=auto'
alias ll='ls -l'
alias ip='ip -color=auto'
alias grep='grep --color=auto'
if [ -f /usr/share/bash-completion/bash_completion ]; then . /usr/share/bash-completion/bash_completion; fi
# Lessons ask you to save answers here: echo 10.0.0.1 > ~/answers/gateway
