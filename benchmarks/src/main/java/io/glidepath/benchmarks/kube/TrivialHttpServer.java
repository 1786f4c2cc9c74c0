package io.glidepath.benchmarks.kube;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers every request with the same small JSON document and
 * does nothing else: the cheapest server a round trip can have, for {@link
 * KubeSyncBenchmark#transportFloorTrivialServer}. One Netty event loop, keep-alive, no logging.
 */
final class TrivialHttpServer implements AutoCloseable {
  private static final byte[] VERSION =
      "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\"}"
          .getBytes(StandardCharsets.UTF_8);

  private final EventLoopGroup loop;
  private final Channel channel;

  private TrivialHttpServer(EventLoopGroup loop, Channel channel) {
    this.loop = loop;
    this.channel = channel;
  }

  static TrivialHttpServer start() throws InterruptedException {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20))
                        .addLast(new Answer());
                  }
                });
    Channel channel = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return new TrivialHttpServer(loop, channel);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    loop.shutdownGracefully().sync();
  }

  private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(VERSION));
      response.headers().set("Content-Type", "application/json");
      response.headers().setInt("Content-Length", VERSION.length);
      ctx.writeAndFlush(response);
    }
  }
}
