package io.shardkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on 127.0.0.1 in front of one database server, for fault tests: point a shard's URL
 * at it ({@link #url(String)}) and switch it between passing bytes through, being down (every
 * connection closed, new ones reset at once), and a blackhole (connections accepted, nothing
 * forwarded either way, as a host whose packets vanish); {@link #dropConnections()} closes every
 * open connection mid-stream. Going back to {@link #pass()} after a blackhole lets frozen
 * connections go on where they stopped.
 *
 * <p>Two daemon threads per connection; {@link #close()} ends them all. Loopback only.
 */
public final class TcpProxy implements AutoCloseable {
    public enum Mode { PASS, DOWN, BLACKHOLE }

    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z]+://)([^/:?]+)(:\\d+)?");

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;
    private int accepted;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of the server a JDBC URL names ({@code jdbc:postgresql://host:port/db}). */
    public static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.find() || m.group(3) == null) {
            throw new IllegalArgumentException("no host:port in " + jdbcUrl);
        }
        return new TcpProxy(m.group(2), Integer.parseInt(m.group(3).substring(1)));
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String url(String jdbcUrl) {
        Matcher m = HOST_PORT.matcher(jdbcUrl);
        if (!m.find()) {
            throw new IllegalArgumentException("no host:port in " + jdbcUrl);
        }
        return m.group(1) + "127.0.0.1:" + port() + jdbcUrl.substring(m.end());
    }

    public int port() {
        return server.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** Forwards bytes both ways (frozen connections go on). */
    public void pass() {
        setMode(Mode.PASS);
    }

    /** Closes every connection and resets new ones at once, as a server that is down. */
    public void down() {
        setMode(Mode.DOWN);
        dropConnections();
    }

    /** Forwards nothing from now on, on open and new connections; never closes them. */
    public void blackhole() {
        setMode(Mode.BLACKHOLE);
    }

    /** Closes every open connection now (the client sees the stream end mid-read). */
    public void dropConnections() {
        List<Socket> all;
        synchronized (open) {
            all = new ArrayList<>(open);
            open.clear();
        }
        for (Socket s : all) {
            closeQuietly(s);
        }
    }

    /** Connections accepted so far. */
    public synchronized int accepted() {
        return accepted;
    }

    private void setMode(Mode m) {
        synchronized (this) {
            mode = m;
            notifyAll();
        }
    }

    /** Blocks while the proxy is a blackhole; false when the connection must end. */
    private boolean awaitForwarding() {
        synchronized (this) {
            while (mode == Mode.BLACKHOLE && !closed) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return mode == Mode.PASS && !closed;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            synchronized (this) {
                accepted++;
            }
            if (mode == Mode.DOWN) {
                reset(client);
                continue;
            }
            track(client);
            Thread t = new Thread(() -> connect(client), "tcp-proxy-conn-" + port());
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        if (!awaitForwarding()) {
            closeQuietly(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(client);
            return;
        }
        track(upstream);
        Thread back = new Thread(() -> pump(upstream, client), "tcp-proxy-back-" + port());
        back.setDaemon(true);
        back.start();
        pump(client, upstream);
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!awaitForwarding()) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void track(Socket s) {
        synchronized (open) {
            open.add(s);
        }
        if (closed || mode == Mode.DOWN) {
            closeQuietly(s);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing is what matters
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        setMode(Mode.DOWN);
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropConnections();
    }
}
