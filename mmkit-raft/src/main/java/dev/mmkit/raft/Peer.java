package dev.mmkit.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Peer is one member of a cluster as others reach it: its id and the host and port it serves Raft
 * and clients on. Written {@code ID=HOST:PORT}; a cluster is a comma-separated list of them.
 *
 * @param id the member's id: letters, digits, '-' and '_'
 * @param host the host name or address
 * @param port the TCP port
 */
public record Peer(String id, String host, int port) {
  /**
   * Creates a peer.
   *
   * @throws IllegalArgumentException when the id is empty or has other characters, or the port is
   *     out of range
   */
  public Peer {
    if (id.isEmpty() || !id.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("bad member id: id='" + id + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port: id=" + id + ", port=" + port);
    }
  }

  /**
   * Parses one {@code ID=HOST:PORT}.
   *
   * @throws IllegalArgumentException when it has another form
   */
  public static Peer parse(String text) {
    String s = text.strip();
    int eq = s.indexOf('=');
    int colon = s.lastIndexOf(':');
    if (eq <= 0 || colon < eq + 2 || colon == s.length() - 1) {
      throw new IllegalArgumentException("bad member address, want ID=HOST:PORT: text='" + s + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in member address: text='" + s + "'", e);
    }
    return new Peer(s.substring(0, eq), s.substring(eq + 1, colon), port);
  }

  /**
   * Parses a comma-separated list of {@code ID=HOST:PORT}.
   *
   * @throws IllegalArgumentException when an entry is malformed, an id repeats, or it is empty
   */
  public static List<Peer> parseList(String text) {
    List<Peer> peers = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Peer p = parse(part);
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException("member id repeats: id=" + p.id());
      }
      peers.add(p);
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("no member address: text='" + text + "'");
    }
    return List.copyOf(peers);
  }

  /** Returns {@code HOST:PORT}. */
  public String address() {
    return host + ":" + port;
  }

  /** Returns {@code ID=HOST:PORT}. */
  @Override
  public String toString() {
    return id + "=" + address();
  }
}
