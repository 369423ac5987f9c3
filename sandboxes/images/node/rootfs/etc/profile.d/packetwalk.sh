# Login shells on a packetwalk node: UTF-8 and a prompt that says where you are (root@node1:~#).
export LANG=C.UTF-8
export PS1='\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
