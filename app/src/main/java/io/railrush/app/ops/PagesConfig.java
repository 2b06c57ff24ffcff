package io.railrush.app.ops;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The pages: {@code /} is the buyer's page ({@code static/index.html}, Spring Boot's welcome page),
 * {@code /ops} the operations dashboard. Both are static files that call the JSON API; the
 * dashboard asks for the admin token in the page and sends it only to the API.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfig implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/ops").setViewName("forward:/ops.html");
  }
}
