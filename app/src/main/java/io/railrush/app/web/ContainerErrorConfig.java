package io.railrush.app.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Container errors as problem+json: Tomcat's host renders them with {@link ProblemReportValve}.
 * Spring Boot's {@code /error} page is switched off ({@code RailrushApplication}) so that every
 * error the application does not answer itself takes this one path.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfig {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
              }
            });
  }
}
