package dev.bkv.node.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on {@code node.metrics.listen}
 * (plain HTTP: bind it to a management address, not the public one). Anything else is 404.
 */
public final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static MetricsServer start(InetSocketAddress address, NodeMetrics metrics)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bkv-metrics");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals("/metrics")) {
          respond(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics\n");
        } else if (!exchange.getRequestMethod().equals("GET")
            && !exchange.getRequestMethod().equals("HEAD")) {
          respond(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
        } else {
          respond(exchange, 200, CONTENT_TYPE, metrics.scrape());
        }
      }
    });
    server.start();
    return new MetricsServer(server, executor);
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
