import { Controller, Get, Param } from '@nestjs/common';
import { GreetingsService } from './greetings.service';

/** The HTTP edge: translates and delegates, nothing more. */
@Controller('api/v1/greetings')
export class GreetingsController {
  constructor(private readonly greetings: GreetingsService) {}

  @Get(':name')
  greet(@Param('name') name: string) {
    return this.greetings.greet(name);
  }
}
