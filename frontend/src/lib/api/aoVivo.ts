/**
 * Options of the queries the event stream keeps fresh (conversations, messages, the
 * chamado on screen). `refetchInterval` is what useLiveUpdates answers for them: a
 * polling interval while the stream is down, false while it is live. While live,
 * what is cached stays fresh until an event invalidates it: switching chats,
 * coming back to a screen or to the window reads nothing again.
 */
export function mantidoPorEventos(refetchInterval: number | false) {
  return refetchInterval === false ? { refetchInterval, staleTime: Infinity } : { refetchInterval };
}
