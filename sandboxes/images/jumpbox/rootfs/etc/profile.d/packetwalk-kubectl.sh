# kubectl completion and the "k" alias every CKA candidate types (kubectl is copied in when the lab starts).
if command -v kubectl >/dev/null 2>&1 && [ -n "${BASH_VERSION:-}" ]; then
  . <(kubectl completion bash)
  alias k=kubectl
  complete -o default -F __start_kubectl k
fi
PS1='\[\e[1;32m\]\u@jumpbox\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
